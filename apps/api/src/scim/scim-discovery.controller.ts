import { Controller, Get, Inject, Param, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppConfig, Public } from '@lms/platform';
import { listOf, SCIM_BASE_PATH, scimResourceTypes, scimSchemas, ScimError, serviceProviderConfig } from '@lms/identity';

/**
 * SCIM discovery (RFC 7644 §4): what this service supports. Public, as the RFC allows: it holds no
 * personal data and clients read it before they hold a token.
 */
@ApiExcludeController()
@Public()
@Controller({ path: 'scim/v2', version: VERSION_NEUTRAL })
export class ScimDiscoveryController {
  private readonly base: string;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.base = `${config.publicUrl}${SCIM_BASE_PATH}`;
  }

  @Get('ServiceProviderConfig')
  serviceProviderConfig(): Record<string, unknown> {
    return serviceProviderConfig(this.base, `${this.config.publicUrl}/docs`);
  }

  @Get('Schemas')
  schemas(): Record<string, unknown> {
    return listOf(scimSchemas(this.base));
  }

  @Get('Schemas/:id')
  schema(@Param('id') id: string): Record<string, unknown> {
    const found = scimSchemas(this.base).find((s) => s['id'] === id);
    if (!found) throw new ScimError(404, 'No such schema');
    return found;
  }

  @Get('ResourceTypes')
  resourceTypes(): Record<string, unknown> {
    return listOf(scimResourceTypes(this.base));
  }

  @Get('ResourceTypes/:id')
  resourceType(@Param('id') id: string): Record<string, unknown> {
    const found = scimResourceTypes(this.base).find((s) => s['id'] === id);
    if (!found) throw new ScimError(404, 'No such resource type');
    return found;
  }
}
