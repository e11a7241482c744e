import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CourseAuthoringService } from '@lms/catalog';
import type { AdaptedFrom, CourseSharing, UpstreamDiff, UpstreamMerge, VersionSummary } from '@lms/catalog';
import { Access, CurrentUser } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { AdaptCourseDto, CourseSharingDto, UpstreamMergeDto } from './dto/course-sharing.dto.js';

/**
 * The regional hub (docs/hub.md): who besides its own institution may see a course and under which
 * licence; adaptations by another institution, told of upstream versions, with a diff and a merge.
 * Authors of the course's school (and admins) only; the service checks the object.
 */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('courses')
export class CourseSharingController {
  constructor(@Inject(CourseAuthoringService) private readonly authoring: CourseAuthoringService) {}

  @Get(':slug/sharing')
  @Access('author')
  @ApiOperation({ summary: 'Author: visibility (private, shared, public), the institutions and countries shared with, licence (SPDX) and attribution' })
  @ApiOkResponse()
  async sharing(@CurrentUser() principal: Principal, @Param('slug') slug: string): Promise<CourseSharing> {
    return this.authoring.sharing(principal, slug);
  }

  @Put(':slug/sharing')
  @Access('author')
  @ApiOperation({ summary: 'Author: change visibility, sharing, licence and attribution' })
  @ApiOkResponse()
  async setSharing(@CurrentUser() principal: Principal, @Param('slug') slug: string, @Body() body: CourseSharingDto): Promise<CourseSharing> {
    return this.authoring.setSharing(principal, slug, body);
  }

  @Post(':slug/adaptations')
  @HttpCode(201)
  @Access('author')
  @ApiOperation({ summary: 'Author: adapt a course shared with your institution (or public) as a new private course of your school; 409 when its licence allows no adaptation' })
  @ApiCreatedResponse()
  async adapt(@CurrentUser() principal: Principal, @Param('slug') slug: string, @Body() body: AdaptCourseDto): Promise<VersionSummary & { adaptedFrom: AdaptedFrom }> {
    return this.authoring.adapt(principal, slug, body);
  }

  @Get(':slug/upstream-diff')
  @Access('author')
  @ApiOperation({ summary: 'Author of an adaptation: what upstream changed since the version the adaptation is based on' })
  @ApiOkResponse()
  async upstreamDiff(@CurrentUser() principal: Principal, @Param('slug') slug: string): Promise<UpstreamDiff> {
    return this.authoring.upstreamDiff(principal, slug);
  }

  @Post(':slug/upstream-merge')
  @HttpCode(200)
  @Access('author')
  @ApiOperation({ summary: 'Author of an adaptation: merge a newer upstream version into the draft (three-way, per lesson and language; conflicts keep your text and are listed)' })
  @ApiOkResponse()
  async merge(@CurrentUser() principal: Principal, @Param('slug') slug: string, @Body() body: UpstreamMergeDto): Promise<UpstreamMerge> {
    return this.authoring.mergeUpstream(principal, slug, body.version);
  }
}
