import { Column, Entity, PrimaryColumn } from 'typeorm';

/** When each materialised report was last rebuilt, and how long it took. */
@Entity('report_refresh')
export class ReportRefresh {
  /** 'completion' or 'open-data'. */
  @PrimaryColumn('text')
  name!: string;

  @Column('timestamptz')
  refreshedAt!: Date;

  @Column('int')
  durationMs!: number;

  @Column('int')
  rowCount!: number;
}
