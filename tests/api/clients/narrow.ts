// Compiled by tests/api/test_generated_clients.py against the types that
// openapi-typescript generates from the two OpenAPI documents: if the page
// union stops narrowing on `type`, or a form field stops saying its shape,
// this no longer compiles.
import type { operations } from "./v3";
import type { components as forms } from "./forms";

type PageDetail =
  operations["pages_detail"]["responses"][200]["content"]["application/json"];
type Problem =
  operations["pages_detail"]["responses"][404]["content"]["application/problem+json"];

export function intakeYears(page: PageDetail): number[] {
  if (page.type === "programs.ProgramPage") {
    return page.intakes.map((intake) => intake.year);
  }
  return [];
}

export function problemKind(problem: Problem): string {
  return `${problem.status} ${problem.type}: ${problem.detail}`;
}

export type FormDefinition = forms["schemas"];
