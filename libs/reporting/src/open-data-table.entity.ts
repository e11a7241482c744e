import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PublishedTable } from './disclosure-control.js';

export const OPEN_DATA_DIMENSIONS = ['institution', 'course', 'gender', 'locality', 'year'] as const;
export type OpenDataDimension = (typeof OPEN_DATA_DIMENSIONS)[number];

/**
 * A published open-data table, already protected (primary and secondary suppression): what the
 * public endpoint serves. Only aggregates are stored here; nothing in it names a person.
 */
@Entity('open_data_table')
export class OpenDataTable {
  @PrimaryColumn('text')
  dimension!: OpenDataDimension;

  @Column('timestamptz')
  generatedAt!: Date;

  @Column('jsonb')
  payload!: PublishedTable;
}
