// The classic builder's progress output: "Step N/M : …", " ---> <id>", the RUN container's output (stderr
// in red, as Docker's stderr formatter wraps it) and the aux image IDs, as JSON stream messages.
import { randomBytes } from 'node:crypto';

export interface BuildMessage {
  stream?: string;
  aux?: unknown;
}

export class BuildOutput {
  constructor(private readonly emit: (m: BuildMessage) => void) {}

  stdout(text: string): void {
    if (text !== '') this.emit({ stream: text });
  }

  stderr(text: string): void {
    if (text !== '') this.emit({ stream: `\u001b[91m${text}\u001b[0m` });
  }

  /** "Step 3/8 : RUN make" — sent, as Docker does, as the line and then its newline. */
  step(index: number, total: number, code: string): void {
    this.emit({ stream: `Step ${index}/${total} : ${code}` });
    this.emit({ stream: '\n' });
  }

  imageId(id: string): void {
    this.stdout(` ---> ${shortId(id)}\n`);
  }

  usingCache(): void {
    this.stdout(' ---> Using cache\n');
  }

  runningIn(container: string): void {
    this.stdout(` ---> Running in ${shortId(container)}\n`);
  }

  removing(container: string): void {
    this.stdout(`Removing intermediate container ${shortId(container)}\n`);
  }

  aux(id: string): void {
    this.emit({ aux: { ID: id } });
  }
}

export const shortId = (id: string): string => (id.startsWith('sha256:') ? id.slice(7) : id).slice(0, 12);

/**
 * Metadata steps (ENV, LABEL, WORKDIR…) need no container here: the new config is written directly. The
 * classic builder creates (never starts) one for each and prints " ---> Running in <id>" and "Removing
 * intermediate container <id>" around it; we print the same two lines with an ID of the same shape, so
 * the output reads as Docker's does (tools and people compare it line by line). The ID is recorded as the
 * image's "container", as Docker records its container's.
 */
export const newStepContainerId = (): string => randomBytes(32).toString('hex');
