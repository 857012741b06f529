/** `incident postmortem`: an incident's postmortem draft in Markdown (a thin command over scripts/timeline's buildPostmortem). */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import type { ApiUsage } from '../../../cases/index.ts';
import { OrgClient } from '../../../org-client/index.ts';
import {
  buildPostmortem,
  PostmortemInputError,
  renderPostmortem,
  type Postmortem
} from '../../../timeline/postmortem.ts';
import { IncidentCommand } from '../../incident-command.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages(
  'incident-console',
  'incident.postmortem'
);

export type PostmortemCommandResult = Postmortem & {
  markdown: string;
  /** The file written, absolute; null when the draft was printed. */
  output: string | null;
  api: ApiUsage;
};

/** The absolute path to write, after checking its folder exists and it is not a folder. */
export function outputPath(file: string, cwd = process.cwd()): string {
  const target = path.resolve(cwd, file);
  const folder = path.dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new PostmortemInputError(
      messages.getMessage('error.outputFolder', [folder])
    );
  if (existsSync(target) && statSync(target).isDirectory())
    throw new PostmortemInputError(
      messages.getMessage('error.outputIsFolder', [target])
    );
  return target;
}

export default class PostmortemCommand extends IncidentCommand<PostmortemCommandResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion({
      summary: messages.getMessage('flags.api-version.summary')
    }),
    incident: Flags.string({
      char: 'i',
      required: true,
      summary: messages.getMessage('flags.incident.summary')
    }),
    output: Flags.string({
      char: 'f',
      summary: messages.getMessage('flags.output.summary')
    })
  };

  public async run(): Promise<PostmortemCommandResult> {
    const { flags } = await this.parse(PostmortemCommand);
    const output = flags.output === undefined ? null : outputPath(flags.output);
    const client = new OrgClient(
      flags['target-org'].getConnection(flags['api-version'])
    );
    this.spinner.start(messages.getMessage('spinner.reading'));
    let postmortem: Postmortem;
    try {
      postmortem = await buildPostmortem(client, { incident: flags.incident });
    } finally {
      this.spinner.stop();
    }
    const markdown = renderPostmortem(postmortem);
    const api: ApiUsage = {
      apiCalls: client.apiCalls,
      callsByEndpoint: client.callsByEndpoint,
      retries: client.retries
    };
    if (output === null) this.log(markdown);
    else {
      writeFileSync(output, markdown);
      this.log(
        messages.getMessage('info.written', [
          postmortem.incident.number,
          output,
          postmortem.timeline.length,
          api.apiCalls
        ])
      );
    }
    return { ...postmortem, markdown, output, api };
  }
}
