import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@lms/identity';
import { CatalogCache } from './catalog-cache.service.js';
import { CatalogImportService } from './catalog-import.service.js';
import { CatalogReader } from './catalog-reader.service.js';
import { CatalogService } from './catalog.service.js';
import { CourseAuthoringService } from './course-authoring.service.js';
import { CourseTranslationService } from './course-translation.service.js';
import { CourseUploadService } from './course-upload.service.js';
import { Course } from './course.entity.js';
import { CourseVersion } from './course-version.entity.js';
import { CourseVersionRepository } from './course-version.repository.js';
import { FrameworkSource } from './framework-source.js';
import { Lesson } from './lesson.entity.js';

/** Courses, immutable versions, lessons and quizzes; import of curricula as code; search; authoring. */
@Module({
  imports: [TypeOrmModule.forFeature([Course, CourseVersion, Lesson]), IdentityModule],
  providers: [CatalogCache, CatalogReader, CourseVersionRepository, CatalogImportService, CatalogService, CourseAuthoringService, CourseTranslationService, CourseUploadService, FrameworkSource],
  exports: [CatalogReader, CatalogImportService, CatalogService, CourseAuthoringService, CourseTranslationService, CourseUploadService, FrameworkSource, TypeOrmModule],
})
export class CatalogModule {}
