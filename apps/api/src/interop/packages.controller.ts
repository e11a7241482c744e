import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ImportedPackage, PackageImportService, PackageInvalidError } from '@lms/interop';
import { Access, CurrentUser, type Principal } from '@lms/platform';
import { PACKAGE_BODY } from './package-body.js';

/** Authors import SCORM 1.2, SCORM 2004 and cmi5 packages into their course's draft (docs/interop.md). */
@ApiTags('interop')
@ApiBearerAuth()
@Controller('courses/:slug/packages')
export class PackagesController {
  constructor(@Inject(PackageImportService) private readonly packages: PackageImportService) {}

  @Post()
  @Access('author', 'admin')
  @RouteConfig({ [PACKAGE_BODY]: true })
  @ApiConsumes('application/zip')
  @ApiOperation({ summary: 'Author of the owning school: import a package zip; its SCOs/AUs become lessons of the course draft' })
  async import(@Param('slug') slug: string, @Body() body: unknown, @CurrentUser() principal: Principal): Promise<ImportedPackage> {
    if (!Buffer.isBuffer(body) || body.length === 0) throw new PackageInvalidError([{ file: '(body)', message: 'send the package as an application/zip body' }]);
    return this.packages.import(principal, slug, body);
  }
}
