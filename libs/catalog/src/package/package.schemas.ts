/**
 * JSON Schemas of the curriculum files. This module is their source of truth: the validator
 * compiles them, and `npm run courses -- schema` writes them to courses/schema/*.schema.json for
 * editors (a unit test fails when the files drift). `x-hint` is the message shown when a value
 * does not match its pattern.
 */
type Schema = Record<string, unknown>;

const DRAFT = 'http://json-schema.org/draft-07/schema#';
/** A BCP 47 tag in canonical form (language, script, region, variants); the validator also asks Intl whether it is valid and canonical. */
export const LANGUAGE_TAG = '^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$';
export const SLUG = '^[a-z0-9]+(-[a-z0-9]+)*$';
export const COMPETENCY_CODE = '^[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$';
const SLUG_RE = new RegExp(SLUG);

/** True for a course or lesson slug (what a URL may name). */
export function isSlug(value: string): boolean {
  return value.length <= 80 && SLUG_RE.test(value);
}

const languageTag: Schema = { type: 'string', pattern: LANGUAGE_TAG, 'x-hint': 'must be a BCP 47 language tag in canonical form such as en, sr-Latn, sr-Cyrl or mk' };
const slug = (what: string): Schema => ({
  type: 'string',
  pattern: SLUG,
  maxLength: 80,
  'x-hint': `must be a ${what}: lower-case letters, digits and single hyphens (e.g. ai-fundamentals)`,
});

/** Text per language: `{ en: "...", sr-Latn: "..." }`. */
function langMap(maxLength: number, description: string): Schema {
  return {
    type: 'object',
    description,
    minProperties: 1,
    propertyNames: languageTag,
    additionalProperties: { type: 'string', minLength: 1, maxLength, pattern: '\\S', 'x-hint': 'must not be blank' },
  };
}

const competencyAward: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'level'],
  properties: {
    code: { type: 'string', pattern: COMPETENCY_CODE, 'x-hint': 'must be a competency code such as LIT.1' },
    level: { type: 'integer', minimum: 1, description: 'proficiency level of the framework, 1 = lowest' },
  },
};

function courseProperties(): Record<string, Schema> {
  return {
    slug: slug('course slug equal to the folder name'),
    school: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      maxLength: 64,
      description: 'code of the owning school of public administration (an org unit of kind school)',
      'x-hint': 'must be an org-unit code such as SPA',
    },
    defaultLanguage: languageTag,
    languages: { type: 'array', items: languageTag, minItems: 1, uniqueItems: true },
    serbianSource: {
      enum: ['sr-Latn', 'sr-Cyrl'],
      description: 'the Serbian script authors write in (default sr-Latn); `npm run courses -- generate` writes the other one',
    },
    title: langMap(200, 'course title per language'),
    summary: langMap(2000, 'one-paragraph summary per language'),
    audience: { enum: ['all-staff', 'managers', 'specialists'] },
    level: { enum: ['foundation', 'intermediate', 'advanced'] },
    estimatedMinutes: { type: 'integer', minimum: 1, maximum: 10000 },
    framework: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', 'x-hint': 'must be the key of a framework in courses/frameworks' },
    competencies: { type: 'array', items: competencyAward, description: 'competencies awarded on completion' },
    alignedWith: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 300 } },
    lessons: {
      type: 'array',
      items: slug('lesson slug'),
      minItems: 1,
      uniqueItems: true,
      description: 'lesson slugs in order; each is lessons/<lang>/NN-<slug>.md with NN its 1-based position',
    },
    completion: {
      type: 'object',
      additionalProperties: false,
      properties: {
        quiz: {
          type: 'object',
          additionalProperties: false,
          required: ['passMark', 'attemptsAllowed'],
          properties: {
            passMark: { type: 'integer', minimum: 1, maximum: 100, description: 'percent of questions answered correctly' },
            attemptsAllowed: { type: 'integer', minimum: 1, maximum: 100 },
          },
        },
      },
    },
    certificate: {
      type: 'object',
      additionalProperties: false,
      properties: { validityMonths: { type: 'integer', minimum: 1, maximum: 240 } },
    },
  };
}

const COURSE_REQUIRED = ['slug', 'school', 'defaultLanguage', 'languages', 'title', 'summary', 'audience', 'level', 'estimatedMinutes', 'framework', 'competencies', 'lessons', 'completion'];

export const courseSchema: Schema = {
  $schema: DRAFT,
  $id: 'course.schema.json',
  title: 'course.yaml: metadata of one course package',
  type: 'object',
  additionalProperties: false,
  required: COURSE_REQUIRED,
  properties: courseProperties(),
};

const choice: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'text'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$', 'x-hint': 'must be a short id (letters, digits, - or _)' },
    text: langMap(1000, 'choice text per language'),
    correct: { type: 'boolean', description: 'true for a correct choice; omit or false otherwise' },
  },
};

const question: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'text', 'choices'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$', 'x-hint': 'must be a short id (letters, digits, - or _)' },
    type: { enum: ['single', 'multiple'] },
    text: langMap(2000, 'question text per language'),
    choices: { type: 'array', items: choice, minItems: 2, maxItems: 12 },
    explanation: langMap(4000, 'shown after submission'),
  },
};

function quizBody(): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['questions'],
    properties: { questions: { type: 'array', items: question, minItems: 1, maxItems: 200 } },
  };
}

export const quizSchema: Schema = {
  $schema: DRAFT,
  $id: 'quiz.schema.json',
  title: 'quiz.yaml: the final quiz of a course, with the correct answers',
  ...quizBody(),
};

export const lessonFrontMatterSchema: Schema = {
  $schema: DRAFT,
  $id: 'lesson-front-matter.schema.json',
  title: 'Front matter of lessons/<lang>/NN-<slug>.md',
  type: 'object',
  additionalProperties: false,
  required: ['title', 'minutes'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S', 'x-hint': 'must not be blank' },
    minutes: { type: 'integer', minimum: 1, maximum: 600 },
    required: { type: 'boolean', description: 'default true' },
  },
};

export const frameworkSchema: Schema = {
  $schema: DRAFT,
  $id: 'framework.schema.json',
  title: 'frameworks/<key>.yaml: a competency framework',
  type: 'object',
  additionalProperties: false,
  required: ['key', 'version', 'title', 'levels', 'competencies'],
  definitions: {
    competency: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'title'],
      properties: {
        code: { type: 'string', pattern: COMPETENCY_CODE, 'x-hint': 'must be a code such as LIT or LIT.1' },
        title: langMap(300, 'competency title per language'),
        description: langMap(4000, 'competency description per language'),
        crosswalk: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['framework', 'code', 'relation'],
            properties: {
              framework: { type: 'string', minLength: 1 },
              code: { type: 'string', minLength: 1 },
              relation: {
                enum: ['exactMatchOf', 'isRelatedTo', 'isPartOf', 'isPeerOf', 'precedes', 'replacedBy', 'exemplar', 'hasSkillLevel'],
                description: 'IMS CASE association type',
              },
            },
          },
        },
        children: { type: 'array', items: { $ref: '#/definitions/competency' } },
      },
    },
  },
  properties: {
    key: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', 'x-hint': 'must be lower-case letters, digits and hyphens, equal to the file name' },
    version: { type: 'integer', minimum: 1 },
    title: langMap(300, 'framework title per language; its languages are the languages of the framework, and every other text needs each of them'),
    description: langMap(8000, 'framework description per language'),
    source: { type: 'string' },
    levels: {
      type: 'array',
      minItems: 2,
      maxItems: 10,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['level', 'code', 'title'],
        properties: {
          level: { type: 'integer', minimum: 1 },
          code: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', 'x-hint': 'must be lower-case letters, digits and hyphens' },
          title: langMap(100, 'level name per language'),
          description: langMap(2000, 'level description per language'),
        },
      },
    },
    competencies: { type: 'array', minItems: 1, items: { $ref: '#/definitions/competency' } },
  },
};

/** The authoring API's body: a course package as JSON, the same shape as the files. */
export const coursePackageSchema: Schema = {
  $schema: DRAFT,
  $id: 'course-package.schema.json',
  title: 'A course package as JSON (POST /api/v1/courses, PUT /api/v1/courses/:slug/draft)',
  type: 'object',
  additionalProperties: false,
  required: ['course', 'lessons'],
  properties: {
    course: {
      type: 'object',
      additionalProperties: false,
      // `lessons` may be left out: the order of the `lessons` array below is the outline.
      required: COURSE_REQUIRED.filter((f) => f !== 'lessons'),
      properties: courseProperties(),
    },
    lessons: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['slug', 'title', 'minutes', 'body'],
        properties: {
          slug: slug('lesson slug'),
          title: langMap(200, 'lesson title per language'),
          minutes: { type: 'integer', minimum: 1, maximum: 600 },
          required: { type: 'boolean', description: 'default true' },
          body: langMap(200_000, 'lesson text in Markdown per language'),
        },
      },
    },
    quiz: { ...quizBody(), type: ['object', 'null'] },
  },
};

/** File name in courses/schema → schema. */
export const SCHEMA_FILES: Record<string, Schema> = {
  'course.schema.json': courseSchema,
  'quiz.schema.json': quizSchema,
  'lesson-front-matter.schema.json': lessonFrontMatterSchema,
  'framework.schema.json': frameworkSchema,
  'course-package.schema.json': coursePackageSchema,
};
