import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import { CSV_CONTENT_TYPE, csvChunks, CsvColumn, csvFileName } from '@lms/reporting';

/**
 * A streamed CSV attachment (UTF-8 with BOM, RFC 4180): rows are pulled from `batches` as the
 * client reads, so a large export never sits in memory.
 */
export function csvResponse<T>(name: string, columns: readonly CsvColumn<T>[], batches: AsyncIterable<readonly T[]>): StreamableFile {
  async function* bytes(): AsyncGenerator<Buffer> {
    for await (const chunk of csvChunks(columns, batches)) yield Buffer.from(chunk, 'utf8');
  }
  return new StreamableFile(Readable.from(bytes(), { objectMode: false }), {
    type: CSV_CONTENT_TYPE,
    disposition: `attachment; filename="${csvFileName(name)}"`,
  });
}

export async function* once<T>(rows: readonly T[]): AsyncGenerator<readonly T[]> {
  yield rows;
}
