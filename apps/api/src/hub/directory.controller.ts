import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type Page, type Principal } from '@lms/platform';
import { DIRECTORY_CONSENT_VERSION, DirectoryService, type ContactRequestView, type DirectoryProfileView } from '@lms/hub';
import { ContactRequestDto, DirectoryListQuery, DirectoryProfileDto } from './dto/hub.dto.js';

/**
 * The hub's people directory (docs/hub.md, item 5). Anyone signed in may opt in, change or withdraw
 * their own profile; only people who have opted in see the directory and make contact requests.
 */
@ApiTags('hub')
@Controller('directory')
export class DirectoryController {
  constructor(@Inject(DirectoryService) private readonly directory: DirectoryService) {}

  @Access('authenticated')
  @Get('consent')
  @ApiOperation({ summary: 'The current version of the directory consent text (what PUT /directory/me must name)' })
  @ApiOkResponse()
  consent(): { version: string } {
    return { version: DIRECTORY_CONSENT_VERSION };
  }

  @Access('authenticated')
  @Get('me')
  @ApiOperation({ summary: 'My directory profile with its consent record (404 when I have not opted in)' })
  @ApiOkResponse()
  async me(@CurrentUser() principal: Principal): Promise<DirectoryProfileView> {
    return this.directory.myProfile(principal);
  }

  @Access('authenticated')
  @Put('me')
  @ApiOperation({ summary: 'Opt in to the directory (consent: true and the current consent version) or change my profile' })
  @ApiOkResponse()
  async save(@CurrentUser() principal: Principal, @Body() body: DirectoryProfileDto): Promise<DirectoryProfileView> {
    return this.directory.saveProfile(principal, body);
  }

  @Access('authenticated')
  @Delete('me')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw my consent: the profile and my contact requests are deleted at once' })
  @ApiNoContentResponse()
  async withdraw(@CurrentUser() principal: Principal): Promise<void> {
    await this.directory.withdraw(principal);
  }

  @Access('authenticated')
  @Get('people')
  @ApiOperation({ summary: 'Directory profiles (opted-in members only; filter by tag, country, language or text)' })
  @ApiOkResponse()
  async list(@CurrentUser() principal: Principal, @Query() query: DirectoryListQuery): Promise<Page<DirectoryProfileView>> {
    return this.directory.list(principal, query);
  }

  @Access('authenticated')
  @Get('people/:userId')
  @ApiOperation({ summary: 'One directory profile (opted-in members only)' })
  @ApiOkResponse()
  async get(@CurrentUser() principal: Principal, @Param('userId', new ParseUUIDPipe()) userId: string): Promise<DirectoryProfileView> {
    return this.directory.get(principal, userId);
  }

  @Access('authenticated')
  @Post('people/:userId/contact-requests')
  @ApiOperation({ summary: 'Ask a member for contact; e-mail addresses are revealed to both only once they accept' })
  @ApiCreatedResponse()
  async request(
    @CurrentUser() principal: Principal,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: ContactRequestDto,
  ): Promise<ContactRequestView> {
    return this.directory.requestContact(principal, userId, body.message);
  }

  @Access('authenticated')
  @Get('contact-requests')
  @ApiOperation({ summary: 'My contact requests, incoming and outgoing (e-mail addresses on accepted ones only)' })
  @ApiOkResponse()
  async requests(@CurrentUser() principal: Principal): Promise<{ items: ContactRequestView[] }> {
    return { items: await this.directory.contactRequests(principal) };
  }

  @Access('authenticated')
  @Post('contact-requests/:id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept a contact request made to me: both see each other’s e-mail address' })
  @ApiOkResponse()
  async accept(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<ContactRequestView> {
    return this.directory.decide(principal, id, 'accepted');
  }

  @Access('authenticated')
  @Post('contact-requests/:id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline a contact request made to me (nothing is revealed; the sender is not told)' })
  @ApiOkResponse()
  async decline(@CurrentUser() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<ContactRequestView> {
    return this.directory.decide(principal, id, 'declined');
  }
}
