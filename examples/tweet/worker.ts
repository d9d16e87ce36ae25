/** The app side: embeds the generated worker, with the Twitter client the jobs use. */
import { createWorker } from "./generated/index.js";
import { TwitterClient, type TwitterClientOptions } from "./twitter.js";
import { SocialJobs } from "./jobs.js";

export function startWorker(connection: string, twitter: TwitterClientOptions = {}) {
  return createWorker({
    connection,
    jobs: { social: new SocialJobs(new TwitterClient(twitter)) },
  });
}
