// Configuration: the credential exactly as every command reads it, and the base URL it points at.
import { credentialFromEnv, type EnvCredential, SimcelAuthConfigError } from "@simcel/auth";
import { defaultBaseUrl } from "@simcel/insights";
import { UsageError } from "../errors.js";
import { type Diagnosis, describe } from "./diagnosis.js";

/**
 * The credential of the environment, noted in the report; undefined (with the problem found) when there is none
 * or it cannot be built. Throws `UsageError` only for a `--base-url` that is not a URL.
 */
export function checkConfiguration(d: Diagnosis): EnvCredential | undefined {
  const { input, report } = d;
  let credential: EnvCredential;
  try {
    credential = credentialFromEnv(input.env, { fetch: d.watch.fetch });
  } catch (error) {
    if (error instanceof SimcelAuthConfigError && error.setting === "SIMCEL_BASE_URL" && input.baseUrlFlag)
      throw new UsageError(`simcel doctor: --base-url must be an http(s) URL such as ${defaultBaseUrl}`);
    d.find("problem", `configuration: ${describe(error, report.configuration.baseUrl)}`);
    return undefined;
  }
  const { baseUrl } = credential;
  Object.assign(report.configuration, {
    // with --base-url, SIMCEL_BASE_URL is the flag's value, not a variable the user set
    variables: credential.variables.filter((v) => !(input.baseUrlFlag && v === "SIMCEL_BASE_URL")),
    credential: credential.kind,
    baseUrl,
    production: baseUrl === defaultBaseUrl,
  });
  return credential;
}
