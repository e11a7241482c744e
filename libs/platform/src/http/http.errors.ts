import { DomainError } from '../errors/domain-error.js';

/** JSON nested deeper than the parser allows: refused before it is parsed or transformed. */
export class JsonTooDeepError extends DomainError {
  constructor(maxDepth: number) {
    super('json_too_deep', `The JSON body is nested deeper than ${maxDepth} levels`, 400, { maxDepth });
  }
}
