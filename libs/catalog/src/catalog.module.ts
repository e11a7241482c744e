import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogReader } from './catalog-reader.service.js';
import { Course } from './course.entity.js';
import { CourseVersion } from './course-version.entity.js';
import { Lesson } from './lesson.entity.js';

/** Courses, immutable versions, lessons and quizzes; import of curricula as code; search. */
@Module({
  imports: [TypeOrmModule.forFeature([Course, CourseVersion, Lesson])],
  providers: [CatalogReader],
  exports: [CatalogReader, TypeOrmModule],
})
export class CatalogModule {}
