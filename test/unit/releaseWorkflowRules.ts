/**
 * What .github/workflows/release.yml must do on each OS, read from the parsed workflow the way GitHub Actions
 * would run it: matrix values substituted and each step's `if` evaluated for the job's runner.
 */

export interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

export interface WorkflowJob {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  strategy?: { matrix?: { include?: Array<Record<string, string>> } };
  steps?: WorkflowStep[];
}

export interface Workflow {
  on?: { push?: { tags?: string[] }; workflow_dispatch?: unknown };
  jobs?: Record<string, WorkflowJob>;
}

/** The hosted runners this product ships from, with the value `runner.os` takes on them. */
export const RUNNERS: Readonly<
  Record<string, { runnerOs: string; dist: string; installers: string[]; selfTest: RegExp[] }>
> = {
  // Installed from the mounted dmg, its signature verified, then the installed app checks itself.
  'macos-latest': {
    runnerOs: 'macOS',
    dist: 'dist:mac',
    installers: ['.dmg', '.zip'],
    selfTest: [
      /ls release\/.*\.dmg[\s\S]*hdiutil attach/,
      /codesign --verify --deep --strict/,
      /Kiro Dock" --self-test/,
    ],
  },
  'windows-latest': {
    runnerOs: 'Windows',
    dist: 'dist:win',
    installers: ['.exe'],
    selfTest: [
      /setup\.exe\)?\s*\n\s*"\.\/\$installer" \/S/,
      /Kiro Dock\.exe" --self-test|"\$app" --self-test/,
    ],
  },
  'ubuntu-24.04': {
    runnerOs: 'Linux',
    dist: 'dist:linux',
    installers: ['.deb'],
    selfTest: [
      /apt-get install -y \.\/release\/.*\.deb/,
      /xvfb-run .*dbus-run-session[\s\S]*kiro-dock --self-test/,
    ],
  },
};

/** Electron 45 and its tooling need Node 22 or later. */
const NODE_VERSIONS = ['22', '24'];
/** The oldest major of each action that runs on the Node 24 runtime. */
const ACTION_MAJORS: Readonly<Record<string, number>> = {
  'actions/checkout': 5,
  'actions/setup-node': 6,
  'actions/upload-artifact': 5,
  'actions/download-artifact': 6,
};

const SMOKE_SCRIPT = 'test/smoke/desktopSmoke.ts';
const DOWNLOADERS = /\b(curl|wget|Invoke-WebRequest|iwr|Start-BitsTransfer)\b/i;

/** Evaluates the `if` forms this workflow uses; anything else is reported rather than guessed. */
function stepRuns(condition: string | undefined, runnerOs: string, problems: string[]): boolean {
  if (condition === undefined) return true;
  const match = /^\s*runner\.os\s*(==|!=)\s*'([^']+)'\s*$/.exec(condition);
  if (!match) {
    problems.push(`cannot tell whether "${condition}" runs`);
    return false;
  }
  return match[1] === '==' ? match[2] === runnerOs : match[2] !== runnerOs;
}

function withMatrix(text: string, values: Record<string, string>): string {
  return text.replace(
    /\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g,
    (_, key: string) => values[key] ?? `<no matrix.${key}>`,
  );
}

/** The steps that run on one matrix entry, in order, with matrix values filled in. */
function stepsFor(job: WorkflowJob, entry: Record<string, string>, runnerOs: string, problems: string[]) {
  return (job.steps ?? [])
    .filter((step) => stepRuns(step.if, runnerOs, problems))
    .map((step) => ({ ...step, run: step.run === undefined ? undefined : withMatrix(step.run, entry) }));
}

function entryProblems(job: WorkflowJob, entry: Record<string, string>): string[] {
  const runner = RUNNERS[entry['os'] ?? ''];
  if (!runner) return [`matrix entry ${JSON.stringify(entry)} is not a supported runner`];
  const problems: string[] = [];
  const steps = stepsFor(job, entry, runner.runnerOs, problems);
  const on = `on ${entry['os']}`;
  const node = steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
  if (!NODE_VERSIONS.includes(String(node?.with?.['node-version'])) || node?.with?.['cache'] !== 'npm') {
    problems.push(`${on}: setup-node is not Node ${NODE_VERSIONS.join(' or ')} with the npm cache`);
  }
  const indexOf = (test: (run: string) => boolean) => steps.findIndex((step) => test(step.run ?? ''));
  const install = indexOf((run) => /^npm ci\b/m.test(run));
  const dist = indexOf((run) => new RegExp(`\\bnpm run ${runner.dist}\\b`).test(run));
  const smoke = indexOf((run) => run.includes(SMOKE_SCRIPT));
  if (install < 0) problems.push(`${on}: no npm ci`);
  if (dist < 0 || dist < install) problems.push(`${on}: npm run ${runner.dist} does not run after npm ci`);
  if (smoke < 0 || smoke < dist)
    problems.push(`${on}: the smoke test does not run after the installers are built`);
  if (runner.runnerOs === 'Linux' && smoke >= 0 && !/^xvfb-run\b/.test(steps[smoke]!.run!)) {
    problems.push(`${on}: the smoke test does not run under xvfb-run`);
  }
  const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
  const uploaded = String(upload?.with?.['path'] ?? '');
  for (const extension of runner.installers) {
    if (!uploaded.includes(`*${extension}`)) problems.push(`${on}: ${extension} installers are not uploaded`);
  }
  if (!uploaded.includes('latest*.yml'))
    problems.push(`${on}: the update feeds (latest*.yml) are not uploaded`);
  problems.push(...selfTestProblems(steps, runner.selfTest, dist, on));
  return problems;
}

/** After the build, the real installer is installed and the installed app runs --self-test. */
function selfTestProblems(steps: WorkflowStep[], patterns: RegExp[], dist: number, on: string): string[] {
  const after = steps
    .slice(Math.max(dist, 0) + 1)
    .map((step) => step.run ?? '')
    .join('\n');
  return patterns
    .filter((pattern) => dist < 0 || !pattern.test(after))
    .map((pattern) => `${on}: no step after the build matches ${pattern}`);
}

function actionProblems(jobs: Record<string, WorkflowJob>): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(jobs)) {
    for (const step of job.steps ?? []) {
      const [action, version] = (step.uses ?? '').split('@');
      const oldest = ACTION_MAJORS[action ?? ''];
      const major = Number.parseInt((version ?? '').replace(/^v/, ''), 10);
      if (oldest !== undefined && !(major >= oldest))
        problems.push(`job ${name} uses ${step.uses}, older than ${action}@v${oldest}`);
      if (/--no-sandbox/.test(step.run ?? '')) problems.push(`job ${name} runs the app with --no-sandbox`);
    }
  }
  return problems;
}

function publishProblems(jobs: Record<string, WorkflowJob>, packageJob: string): string[] {
  const publish = Object.values(jobs).find((job) =>
    job.steps?.some((step) => /\bgh release\b/.test(step.run ?? '')),
  );
  if (!publish) return ['no job attaches the installers to a GitHub release'];
  const problems: string[] = [];
  if (!publish.if?.includes("startsWith(github.ref, 'refs/tags/v')"))
    problems.push('publishing is not limited to tags');
  if (![publish.needs ?? []].flat().includes(packageJob))
    problems.push('publishing does not wait for the packages');
  if (publish.permissions?.['contents'] !== 'write') problems.push('publishing lacks contents: write');
  if (!publish.steps?.some((step) => step.uses?.startsWith('actions/download-artifact@'))) {
    problems.push('publishing does not download the installers');
  }
  return problems;
}

export function workflowProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  if (!workflow.on?.push?.tags?.includes('v*')) problems.push('not triggered by v* tags');
  if (!workflow.on || !('workflow_dispatch' in workflow.on)) problems.push('cannot be started by hand');
  const jobs = workflow.jobs ?? {};
  const packageEntry = Object.entries(jobs).find(([, job]) => job.strategy?.matrix?.include);
  if (!packageEntry) return [...problems, 'no job with an OS matrix'];
  const [packageName, packageJob] = packageEntry;
  const entries = packageJob.strategy!.matrix!.include!;
  const runners = entries.map((entry) => entry['os']).sort();
  if (JSON.stringify(runners) !== JSON.stringify(Object.keys(RUNNERS).sort())) {
    problems.push(`matrix runs on ${runners.join(', ')}`);
  }
  for (const entry of entries) problems.push(...entryProblems(packageJob, entry));
  for (const [name, job] of Object.entries(jobs)) {
    for (const step of job.steps ?? []) {
      if (DOWNLOADERS.test(step.run ?? '')) problems.push(`job ${name} downloads with "${step.run}"`);
    }
  }
  return [...problems, ...actionProblems(jobs), ...publishProblems(jobs, packageName)];
}
