import { DataSource } from 'typeorm';

/**
 * Reads a query's rows in batches through a server-side cursor (DECLARE … FETCH) in a read-only
 * transaction, so a large CSV export streams without holding every row in memory. The consumer
 * pulls: the next FETCH runs only when the previous batch was written. Stopping early (client gone)
 * ends the generator, which rolls back and releases the connection.
 */
export async function* queryInBatches<T>(dataSource: DataSource, sql: string, params: unknown[], batchSize = 1000): AsyncGenerator<T[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query('SET TRANSACTION READ ONLY');
    await runner.query(`DECLARE report_rows NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const rows = (await runner.query(`FETCH ${Math.max(1, Math.floor(batchSize))} FROM report_rows`)) as T[];
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) break;
    }
    await runner.commitTransaction();
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    await runner.release();
  }
}
