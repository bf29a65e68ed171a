import type { AppError } from "~/lib/result";

export const ResultErrors = {
  notWithThisAction: (): AppError => ({ code: "results.not_with_this_action", status: 400, i18nKey: "results.errors.notWithThisAction" }),
  notFound: (): AppError => ({ code: "results.not_found", status: 404, i18nKey: "results.errors.notFound" }),
};
