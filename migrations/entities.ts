import type { EntityList } from '@lms/platform';
import { Institution, AccountToken, AuditEvent, AuthSession, FederatedIdentity, LoginAttempt, MfaRecoveryCode, MfaTotp, OrgUnit, RefreshToken, RoleGrant, SamlConsumedAssertion, ScimClient, User } from '@lms/identity';
import { Course, CourseVersion, Lesson } from '@lms/catalog';
import { Assignment, Enrolment, LessonProgress, LessonView, QuizAttempt } from '@lms/learning';
import { FailedJob, JobProbe, JobProbeEffect, JobRun, OutboxEvent } from '@lms/jobs';
import { Competency, CompetencyEvidence, CredentialRecognition, CompetencyFramework, JobRole, JobRoleRequirement } from '@lms/competency';
import { EmailMessage, Notification, NotificationPreference, Reminder } from '@lms/notifications';
import { Certificate, CertificateDocument, CredentialIssuerKey, VerificationHit } from '@lms/credentials';
import { OpenDataTable, ReportCompletionFact, ReportRefresh } from '@lms/reporting';
import { ContentPackage, LrsClient, LrsDelivery, LrsEndpoint, PackageActivityRow, ScormRuntime, Cmi5Session, XapiDocument, XapiStatement } from '@lms/interop';
import { EVENTS_ENTITIES } from '@lms/events';

/**
 * Every entity of every domain, for the migration CLI (generate, drift check). The apps load the
 * same entities through each domain's TypeOrmModule.forFeature; keep this list complete.
 */
export const entities: EntityList = [OrgUnit, Institution, User, RoleGrant, AuthSession, RefreshToken, LoginAttempt, AuditEvent, FederatedIdentity, SamlConsumedAssertion, AccountToken, MfaTotp, MfaRecoveryCode, ScimClient, Course, CourseVersion, Lesson, Enrolment, Assignment, LessonProgress, LessonView, QuizAttempt, OutboxEvent, FailedJob, JobRun, JobProbe, JobProbeEffect, Notification, Reminder, EmailMessage, NotificationPreference, Certificate, CertificateDocument, CredentialIssuerKey, VerificationHit, CompetencyFramework, Competency, JobRole, JobRoleRequirement, CompetencyEvidence, CredentialRecognition, ReportCompletionFact, ReportRefresh, OpenDataTable, ...EVENTS_ENTITIES, LrsClient, XapiStatement, XapiDocument, ContentPackage, PackageActivityRow, ScormRuntime, Cmi5Session, LrsEndpoint, LrsDelivery];
