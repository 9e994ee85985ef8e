/**
 * What every Terraform test shares: whether terraform and the AWS provider 5.100.0's offline filesystem mirror
 * (TF_PLUGIN_MIRROR, default /opt/tf-plugins) are here, a CLI configuration that installs the provider from that
 * mirror only, so a test never downloads it, the provider block pointing at a Bursar, and a workspace (a server,
 * a temporary directory, a runner) for the tests that apply a configuration of their own.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { systemClock } from '../../src/platform/clock.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { ROOT_KEY, startServer } from './harness.js';

const run = promisify(execFile);
const MIRROR = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';
export const AWS_PROVIDER = join(MIRROR, 'registry.terraform.io/hashicorp/aws/5.100.0');
/** Why a Terraform test is skipped, as each one says it. */
export const TERRAFORM_ABSENT = 'terraform or the AWS provider 5.100.0 mirror is absent';

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

export interface ProviderOptions {
  /** Endpoint names of the provider's `endpoints` block that Bursar answers (iam and sts are always there). */
  services?: string[];
  /**
   * Let the provider ask STS for its account (off by default): it builds some ARNs from that account, e.g. a
   * budget action's for ListTagsForResource.
   */
  requestAccountId?: boolean;
}

/** The provider's version, from the offline mirror. */
const REQUIRED_PROVIDERS = `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}
`;

/** The AWS provider, signed with the compat account's root key, every named service at `endpoint`. */
export function providerBlock(endpoint: string, { services = [], requestAccountId = false }: ProviderOptions = {}) {
  return `
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "${ROOT_KEY.accessKeyId}"
  secret_key                  = "${ROOT_KEY.secretAccessKey}"
  skip_credentials_validation = true${requestAccountId ? '' : '\n  skip_requesting_account_id  = true'}
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
${['iam', 'sts', ...services].map((name) => `    ${name} = "${endpoint}"`).join('\n')}
  }
}
`;
}

export interface TerraformWorkspace {
  /** The Bursar the provider calls, on the machine's clock: Terraform signs by it. */
  server: BursarServer;
  /** The workspace's directory, removed by close(). */
  dir: string;
  /** Writes main.tf: the provider pinned to 5.100.0 and its block, then these resources. */
  configure(resources: string): Promise<void>;
  /**
   * Runs `terraform ARGS -input=false -no-color` in the workspace; `debug` adds the provider's debug log (its
   * stderr names each call: `rpc.method=DeleteRole`). A failure says the command and what terraform printed.
   */
  run(args: string[], options?: { debug?: boolean }): Promise<{ stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** A started Bursar and an empty workspace whose terraform installs the provider from the offline mirror. */
export async function terraformWorkspace(options: ProviderOptions = {}): Promise<TerraformWorkspace> {
  const server = await startServer({ clock: systemClock });
  const dir = await mkdtemp(join(tmpdir(), 'bursar-tf-'));
  const env = await offlineTerraformEnv(dir);
  return {
    server,
    dir,
    configure: (resources) =>
      writeFile(join(dir, 'main.tf'), REQUIRED_PROVIDERS + providerBlock(server.url, options) + resources),
    run: async (args, { debug = false } = {}) => {
      try {
        return await run('terraform', [...args, '-input=false', '-no-color'], {
          cwd: dir,
          env: debug ? { ...env, TF_LOG: 'DEBUG' } : env,
          maxBuffer: 256 * 1024 * 1024,
        });
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`terraform ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? String(error)}`);
      }
    },
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
