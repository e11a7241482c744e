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
});
