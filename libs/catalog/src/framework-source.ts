import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@lms/platform';
import { loadFrameworks } from './package/package-validator.js';
import type { FrameworkDefinition } from './package/package.types.js';

/**
 * The competency frameworks the authoring API checks codes against: the framework files of
 * COURSES_DIR (the same files the CLI validates and imports), re-read at most every 30 seconds.
 */
@Injectable()
export class FrameworkSource {
  private cache: { at: number; frameworks: FrameworkDefinition[] } | undefined;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  list(): FrameworkDefinition[] {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > 30_000) this.cache = { at: now, frameworks: loadFrameworks(this.config.coursesDir) };
    return this.cache.frameworks;
  }

  get(key: string): FrameworkDefinition | undefined {
    return this.list().find((f) => f.key === key);
  }
}
