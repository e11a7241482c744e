import { Inject, Injectable } from '@nestjs/common';
import { EVENT_MESSAGES as M } from './events.errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { fieldError, ForbiddenError, NotFoundError, Principal, ValidationError } from '@lms/platform';
import { Clock } from '@lms/notifications';
import { EventAccess } from './event-access.service.js';
import type { EvaluationQuestion } from './evaluation.entity.js';
import { AlreadyAnsweredError, EvaluationClosedError } from './events.errors.js';

/** Results of groups smaller than this are not shown (anonymity). */
export const MIN_RESPONDENTS = 5;

export interface QuestionResult {
  id: string;
  type: EvaluationQuestion['type'];
  text: Record<string, string>;
  answered: number;
  mean?: number;
  distribution?: Record<string, number>;
  /** Free-text answers: only for an anonymous questionnaire with enough respondents. */
  texts?: string[];
}

export interface EvaluationResults {
  eventId: string;
  anonymous: boolean;
  respondents: number;
  suppressed: boolean;
  minRespondents: number;
  questions: QuestionResult[];
}

/**
 * The evaluation questionnaire of an event: organisers define it; booked participants answer once,
 * after the last session has started; organisers read aggregates. With fewer than five respondents
 * nothing but the count is shown; free text is shown only when the questionnaire is anonymous (named
 * free text could be traced to a person) and the group is large enough.
 */
@Injectable()
export class EvaluationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EventAccess) private readonly access: EventAccess,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async define(principal: Principal, eventId: string, input: { anonymous: boolean; questions: EvaluationQuestion[] }): Promise<{ eventId: string; anonymous: boolean; questions: EvaluationQuestion[] }> {
    await this.access.organised(principal, eventId);
    const errors: Array<{ field: string; message: string }> = [];
    const ids = new Set<string>();
    input.questions.forEach((q, i) => {
      if (ids.has(q.id)) errors.push(fieldError(`questions[${i}].id`, M.questionIdsUnique()));
      ids.add(q.id);
      if (typeof q.text.en !== 'string' || !q.text.en) errors.push(fieldError(`questions[${i}].text.en`, M.questionNeedsEnglish()));
      if (Object.values(q.text).some((v) => typeof v !== 'string')) errors.push(fieldError(`questions[${i}].text`, M.textsPerLocale()));
      (q.choices ?? []).forEach((c, j) => {
        if (typeof c.text.en !== 'string' || Object.values(c.text).some((v) => typeof v !== 'string')) errors.push(fieldError(`questions[${i}].choices[${j}].text`, M.textsPerLocaleWithEn()));
      });
      if (q.type === 'choice' && !(q.choices ?? []).length) errors.push(fieldError(`questions[${i}].choices`, M.choiceNeedsChoices()));
    });
    if (errors.length) throw new ValidationError(errors);
    const [{ n }] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM event_evaluation_submission WHERE event_id = $1`, [eventId])) as Array<{ n: number }>;
    if (n > 0) throw new EvaluationClosedError(M.questionnaireLocked());
    await this.dataSource.query(
      `INSERT INTO event_questionnaire (event_id, anonymous, questions) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (event_id) DO UPDATE SET anonymous = EXCLUDED.anonymous, questions = EXCLUDED.questions`,
      [eventId, input.anonymous, JSON.stringify(input.questions.map((q) => ({ ...q, max: q.type === 'scale' ? (q.max ?? 5) : undefined })))],
    );
    return { eventId, anonymous: input.anonymous, questions: input.questions };
  }

  /** The questionnaire in the participant's language (falls back to English). */
  async get(principal: Principal, eventId: string): Promise<{ eventId: string; anonymous: boolean; questions: Array<{ id: string; type: string; text: string; max?: number; choices?: Array<{ id: string; text: string }> }> }> {
    const q = await this.questionnaire(eventId);
    const [u] = (await this.dataSource.query(`SELECT locale FROM app_user WHERE id = $1`, [principal.userId])) as Array<{ locale: string }>;
    const pick = (t: Record<string, string>): string => t[u?.locale ?? 'en'] ?? t.en ?? Object.values(t)[0] ?? '';
    return {
      eventId,
      anonymous: q.anonymous,
      questions: q.questions.map((x) => ({ id: x.id, type: x.type, text: pick(x.text), max: x.max, choices: x.choices?.map((c) => ({ id: c.id, text: pick(c.text) })) })),
    };
  }

  /** Whether the caller has answered the event's questionnaire. */
  async answered(principal: Principal, eventId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM event_evaluation_submission WHERE event_id = $1 AND user_id = $2`, [eventId, principal.userId])) as unknown[];
    return rows.length > 0;
  }

  async answer(principal: Principal, eventId: string, answers: Record<string, number | string>): Promise<{ submitted: true }> {
    const q = await this.questionnaire(eventId);
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM event_registration WHERE event_id = $1 AND user_id = $2 AND status = 'booked'`,
      [eventId, principal.userId],
    )) as unknown[];
    if (!rows.length) throw new ForbiddenError(M.answerOnlyParticipants());
    const [last] = (await this.dataSource.query(`SELECT max(starts_at) AS at FROM event_session WHERE event_id = $1 AND status = 'scheduled'`, [eventId])) as Array<{ at: Date | null }>;
    if (!last.at || new Date(last.at) > this.clock.now()) throw new EvaluationClosedError(M.questionnaireNotOpen());
    const errors: Array<{ field: string; message: string }> = [];
    const clean: Record<string, number | string> = {};
    for (const [id, value] of Object.entries(answers)) {
      const question = q.questions.find((x) => x.id === id);
      if (!question) {
        errors.push(fieldError(`answers.${id}`, M.noSuchQuestion()));
        continue;
      }
      if (question.type === 'scale') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > (question.max ?? 5)) errors.push(fieldError(`answers.${id}`, M.ratingRange({ max: question.max ?? 5 })));
      } else if (question.type === 'choice') {
        if (typeof value !== 'string' || !question.choices?.some((c) => c.id === value)) errors.push(fieldError(`answers.${id}`, M.oneOfChoices()));
      } else if (typeof value !== 'string' || value.length > 4000) errors.push(fieldError(`answers.${id}`, M.answerTooLong({ max: 4000 })));
      clean[id] = value;
    }
    if (errors.length) throw new ValidationError(errors);
    await this.dataSource.transaction(async (manager) => {
      const [inserted] = (await manager.query(
        `INSERT INTO event_evaluation_submission (event_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING user_id`,
        [eventId, principal.userId],
      )) as Array<{ user_id: string }>;
      if (!inserted) throw new AlreadyAnsweredError();
      await manager.query(`INSERT INTO event_evaluation_response (event_id, user_id, answers, submitted_on) VALUES ($1, $2, $3::jsonb, $4::date)`, [
        eventId,
        q.anonymous ? null : principal.userId,
        JSON.stringify(clean),
        this.clock.now().toISOString().slice(0, 10),
      ]);
    });
    return { submitted: true };
  }

  async results(principal: Principal, eventId: string): Promise<EvaluationResults> {
    await this.access.organised(principal, eventId);
    const q = await this.questionnaire(eventId);
    const responses = (await this.dataSource.query(`SELECT answers FROM event_evaluation_response WHERE event_id = $1`, [eventId])) as Array<{
      answers: Record<string, number | string>;
    }>;
    const suppressed = responses.length < MIN_RESPONDENTS;
    const questions: QuestionResult[] = q.questions.map((question) => {
      const values = responses.map((r) => r.answers[question.id]).filter((v) => v !== undefined && v !== '');
      const base: QuestionResult = { id: question.id, type: question.type, text: question.text, answered: suppressed ? 0 : values.length };
      if (suppressed) return base;
      if (question.type === 'scale') {
        const nums = values.filter((v): v is number => typeof v === 'number');
        const distribution: Record<string, number> = {};
        for (let i = 1; i <= (question.max ?? 5); i++) distribution[String(i)] = nums.filter((n) => n === i).length;
        return { ...base, mean: nums.length ? Math.round((nums.reduce((a, b) => a + b, 0) / nums.length) * 100) / 100 : undefined, distribution };
      }
      if (question.type === 'choice') {
        const distribution: Record<string, number> = {};
        for (const c of question.choices ?? []) distribution[c.id] = values.filter((v) => v === c.id).length;
        return { ...base, distribution };
      }
      return q.anonymous ? { ...base, texts: values.map(String) } : base;
    });
    return { eventId, anonymous: q.anonymous, respondents: responses.length, suppressed, minRespondents: MIN_RESPONDENTS, questions };
  }

  private async questionnaire(eventId: string): Promise<{ anonymous: boolean; questions: EvaluationQuestion[] }> {
    const rows = (await this.dataSource.query(`SELECT anonymous, questions FROM event_questionnaire WHERE event_id = $1`, [eventId])) as Array<{
      anonymous: boolean;
      questions: EvaluationQuestion[];
    }>;
    if (!rows.length) throw new NotFoundError('Questionnaire of event', eventId);
    return rows[0];
  }
}
