/**
 * What every Terraform test shares: whether terraform and the AWS provider 5.100.0's offline filesystem mirror
 * (TF_PLUGIN_MIRROR, default /opt/tf-plugins) are here, and a CLI configuration that installs the provider
 * from that mirror only, so a test never downloads it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MIRROR = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';
export const AWS_PROVIDER = join(MIRROR, 'registry.terraform.io/hashicorp/aws/5.100.0');

export async function terraformAvailable(): Promise<boolean> {
  try {
    await run('terraform', ['version']);
    return existsSync(AWS_PROVIDER);
  } catch {
    return false;
  }
}

/** Writes `dir/terraform.rc` (the mirror, no direct downloads) and returns the environment terraform runs in. */
export async function offlineTerraformEnv(dir: string): Promise<NodeJS.ProcessEnv> {
  const cliConfig = join(dir, 'terraform.rc');
  await writeFile(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n  direct { exclude = ["*/*/*"] }\n}\n`,
  );
  return { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
}
