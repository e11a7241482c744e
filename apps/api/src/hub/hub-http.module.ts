import { Module } from '@nestjs/common';
import { HubModule } from '@lms/hub';
import { CommunitiesController, CourseDiscussionController } from './communities.controller.js';
import { ResourceFileBodyParser } from './resource-body.js';
import { DirectoryController } from './directory.controller.js';

/** HTTP for the hub's people directory and communities of practice. */
@Module({
  imports: [HubModule],
  controllers: [DirectoryController, CommunitiesController, CourseDiscussionController],
  providers: [ResourceFileBodyParser],
})
export class HubHttpModule {}
