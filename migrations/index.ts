import type { MigrationList } from '@lms/platform';

import { CoreSchema1795715935912 } from './1795715935912-CoreSchema.js';
import { LearningAssignmentsProgressQuiz1795716444012 } from './1795716444012-LearningAssignmentsProgressQuiz.js';
import { CatalogSearchAndDrafts1795716532808 } from './1795716532808-CatalogSearchAndDrafts.js';
import { CompetencySchema1795716533103 } from './1795716533103-CompetencySchema.js';
import { JobsFailedAndProbes1795716661252 } from './1795716661252-JobsFailedAndProbes.js';
import { NotificationsSchema1795716762876 } from './1795716762876-NotificationsSchema.js';
import { CredentialsSchema1795716749806 } from './1795716749806-CredentialsSchema.js';
import { IdentityAuthAudit1795716828656 } from './1795716828656-IdentityAuthAudit.js';
import { ReportingSchema1795717968019 } from './1795717968019-ReportingSchema.js';
import { ReportingSubtreeFacts1795719102443 } from './1795719102443-ReportingSubtreeFacts.js';
import { OutboxRelayedIndex1795720000000 } from './1795720000000-OutboxRelayedIndex.js';
import { WebSessionsAndOfflineSync1796417666873 } from './1796417666873-WebSessionsAndOfflineSync.js';
import { EnrolmentCompletedIndex1796500000000 } from './1796500000000-EnrolmentCompletedIndex.js';
import { OpenLocales1796600000000 } from './1796600000000-OpenLocales.js';
import { CourseVersionTranslations1796600000001 } from './1796600000001-CourseVersionTranslations.js';
import { PrivacyErasureAndRetention1796610000000 } from './1796610000000-PrivacyErasureAndRetention.js';
import { OutboxRequestId1796610000500 } from './1796610000500-OutboxRequestId.js';
import { ScimClientsAndExternalId1796637663687 } from './1796637663687-ScimClientsAndExternalId.js';
import { FederatedSignIn1796637682326 } from './1796637682326-FederatedSignIn.js';
import { AccountLinksAndMfa1796637952042 } from './1796637952042-AccountLinksAndMfa.js';
import { EventsSchema1796639518966 } from './1796639518966-EventsSchema.js';
import { InteropLrs1796641819276 } from './1796641819276-InteropLrs.js';
import { InteropPackages1796642845910 } from './1796642845910-InteropPackages.js';
import { ScormRuntime1796643208264 } from './1796643208264-ScormRuntime.js';
import { Cmi5Sessions1796644265565 } from './1796644265565-Cmi5Sessions.js';
import { XapiForwarding1796650589101 } from './1796650589101-XapiForwarding.js';
import { JobRuns1796651020679 } from './1796651020679-JobRuns.js';
import { Institutions1796700000000 } from './1796700000000-Institutions.js';
import { CourseSharing1796700000001 } from './1796700000001-CourseSharing.js';
import { CredentialRecognition1796700000002 } from './1796700000002-CredentialRecognition.js';
import { HubDirectoryCommunities1796700000003 } from './1796700000003-HubDirectoryCommunities.js';
import { EnrolmentPackageResult1796700000020 } from './1796700000020-EnrolmentPackageResult.js';
import { FollowupGroups1796800000020 } from './1796800000020-FollowupGroups.js';
import { LessonViewsAndCertificateResult1796800000040 } from './1796800000040-LessonViewsAndCertificateResult.js';
import { InstitutionSigningKeys1796800000050 } from './1796800000050-InstitutionSigningKeys.js';
import { CommunityResourcesCourseDiscussion1796800000060 } from './1796800000060-CommunityResourcesCourseDiscussion.js';
import { RecognitionHolderVerified1796800000070 } from './1796800000070-RecognitionHolderVerified.js';
/** Every migration, oldest first. `npm run migration:generate -- Name` appends here. */
export const migrations: MigrationList = [
  CoreSchema1795715935912,
  LearningAssignmentsProgressQuiz1795716444012,
  CatalogSearchAndDrafts1795716532808,
  CompetencySchema1795716533103,
  JobsFailedAndProbes1795716661252,
  NotificationsSchema1795716762876,
  CredentialsSchema1795716749806,
  IdentityAuthAudit1795716828656,
  ReportingSchema1795717968019,
  ReportingSubtreeFacts1795719102443,
  OutboxRelayedIndex1795720000000,
  WebSessionsAndOfflineSync1796417666873,
  EnrolmentCompletedIndex1796500000000,
  OpenLocales1796600000000,
  CourseVersionTranslations1796600000001,
  PrivacyErasureAndRetention1796610000000,
  OutboxRequestId1796610000500,
  ScimClientsAndExternalId1796637663687,
  FederatedSignIn1796637682326,
  AccountLinksAndMfa1796637952042,
  EventsSchema1796639518966,
  InteropLrs1796641819276,
  InteropPackages1796642845910,
  ScormRuntime1796643208264,
  Cmi5Sessions1796644265565,
  XapiForwarding1796650589101,
  JobRuns1796651020679,
  Institutions1796700000000,
  CourseSharing1796700000001,
  CredentialRecognition1796700000002,
  HubDirectoryCommunities1796700000003,
  EnrolmentPackageResult1796700000020,
  FollowupGroups1796800000020,
  LessonViewsAndCertificateResult1796800000040,
  InstitutionSigningKeys1796800000050,
  CommunityResourcesCourseDiscussion1796800000060,
  RecognitionHolderVerified1796800000070,
];
