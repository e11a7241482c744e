import { defineMessages } from '@lms/platform';

/** What the hub's communities and directory say to people (worded from the interface catalogs, problems.*.ts). */
export const HUB_MESSAGES = defineMessages('hub', {
  banned: 'You have been banned from this space: you may read it but not post or report',
  onlyModerators: 'Only the moderators of this space may do this',
  noSuchInstitution: 'no such institution: {ids}',
  slugTaken: 'A space with the slug {slug} already exists',
  onlyThreadAuthor: 'Only the author of the thread marks the accepted answer',
  notAReply: 'must be a reply, not the question',
  alreadyReported: 'You have already reported this post',
  notYourself: 'must be someone other than you',
  contactRequestExists: 'There is already a contact request between you and this person',
  contactRequestDecided: 'The request has already been answered',
  markdownLength: 'must be Markdown of 1-{max} characters without control characters',
  length: 'must be 1-{max} characters',
  lengthNoControl: 'must be 1-{max} characters without control characters',
  slugFormat: 'must be 2-63 lower-case letters, digits or "-", starting with a letter or digit',
  institutionsNeeded: 'must name at least one institution when the audience is institutions',
  institutionsEmpty: 'must be empty when the space is open to the whole hub',
  consentRequired: 'Only people who have opted in to the hub directory may see it: make your own profile first',
  consentTrue: 'must be true: the directory holds only people who agree to be in it',
  consentVersion: 'must be the current consent text version, {version}',
  tagFormat: 'must be a tag of 1-{max} letters, digits, spaces or . _ + # -',
  expertiseTag: 'must be an expertise tag',
  countryCode: 'must be an ISO 3166-1 alpha-2 code',
  messageLength: 'must be at most {max} characters without control characters',
  anotherPerson: 'must be another person',
});
