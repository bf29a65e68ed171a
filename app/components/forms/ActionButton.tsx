// One button that posts one action (delete a holiday, revoke a device, replay a dead letter): a
// real <form method="post"> with the CSRF token and the action's hidden fields, so it works
// without JavaScript. `fields` are rendered in their order after the token.
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

export function ActionButton({ csrf, fields, label, className = "button", children }: {
  csrf: string;
  fields: Record<string, string>;
  /** The button's accessible name, when its text alone does not say which row it acts on. */
  label?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="csrf" value={csrf} />
      {Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      <button type="submit" className={className} aria-label={label}>{children}</button>
    </Form>
  );
}
