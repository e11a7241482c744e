import { Module } from '@nestjs/common';
import { HubModule } from '@lms/hub';
import { CommunitiesController } from './communities.controller.js';
import { DirectoryController } from './directory.controller.js';

/** HTTP for the hub's people directory and communities of practice. */
@Module({
  imports: [HubModule],
  controllers: [DirectoryController, CommunitiesController],
})
export class HubHttpModule {}
