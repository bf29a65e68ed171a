// The pull parser and receiver under arbitrary answers (tests/support/pull-property.ts), thousands
// of cases on PostgreSQL. Size: PULL_PROPERTY_RUNS (default 3000).
import { describePullProperty } from "../support/pull-property";

describePullProperty(Number(process.env.PULL_PROPERTY_RUNS ?? 3000), 1_200_000);
