import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Certificate } from './certificate.entity.js';

/**
 * The PDF rendered when the certificate was issued. Rendering is deterministic (fixed dates and
 * document id), so this is a cache: a missing row is rendered again to the same bytes.
 */
@Entity('certificate_document')
export class CertificateDocument {
  @PrimaryColumn('uuid')
  certificateId!: string;

  @OneToOne(() => Certificate, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'certificate_id' })
  certificate?: Certificate;

  @Column('bytea')
  pdf!: Buffer;

  /** Hex SHA-256 of `pdf` (also the ETag). */
  @Column('text')
  sha256!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
