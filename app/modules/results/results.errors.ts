import { appError } from "~/lib/result";

export const ResultErrors = {
  notWithThisAction: () => appError("results.not_with_this_action", 400, "results.errors.notWithThisAction"),
  notFound: () => appError("results.not_found", 404, "results.errors.notFound"),
};
