// The pull parser and receiver under arbitrary answers (tests/support/pull-property.ts): a run
// small enough for every test run; `npm run test:reliability` runs thousands of cases.
import { describePullProperty } from "../support/pull-property";

describePullProperty(Number(process.env.PULL_PROPERTY_RUNS ?? 200), 120_000);
