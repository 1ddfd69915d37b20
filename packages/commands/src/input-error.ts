/**
 * An argument mistake only a command can see (the API and the insights client's checks cannot):
 * e.g. the compare base and `scenarioIds` together exceeding the API's limit. The message names
 * parameters by their API names; each surface renames them (the CLI to its flags).
 */
export class CommandInputError extends Error {
  override readonly name = "CommandInputError";
  /** The stable code of every bad argument, as the insights client's own checks use. */
  readonly code = "invalid_request";
  /** The parameter to change. */
  readonly param: string;
  constructor(param: string, message: string) {
    super(message);
    this.param = param;
  }
}
