import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEvent } from './outbox-event.entity.js';
import { Outbox } from './outbox.service.js';

/** The outbox, the relay and the job drivers (BullMQ on Redis, or in-process in embedded mode). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEvent])],
  providers: [Outbox],
  exports: [Outbox],
})
export class JobsModule {}
