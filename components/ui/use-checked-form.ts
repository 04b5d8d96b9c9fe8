"use client";

import { useReducer } from "react";
import type { FieldErrors } from "@/lib/errors";
import { recheckErrors } from "@/lib/validation";

type State<V> = { values: V | null; errors: FieldErrors };
type Action<V> = { patch: Partial<V> } | { errors: FieldErrors } | { start: V };

/**
 * Form values and their field errors in one state. An edit re-checks, with `validate`, the errors of the
 * fields it touches (`affects(field, errorKey)`): a corrected field loses its error at once, a still-wrong
 * one shows its current problem, and errors elsewhere (such as the server's) stay. `derive` adjusts the
 * values after an edit (a name suggested from a context). `values` is null until `start` is called when
 * `initial` gives null (a type picker first).
 */
export function useCheckedForm<V extends object>(
  initial: () => V | null,
  validate: (values: V) => FieldErrors,
  affects: (field: keyof V, errorKey: string) => boolean,
  derive: (before: V, after: V) => V = (_before, after) => after,
) {
  const [state, dispatch] = useReducer(
    (s: State<V>, a: Action<V>): State<V> => {
      if ("errors" in a) return { ...s, errors: a.errors };
      if ("start" in a) return { values: a.start, errors: {} };
      if (!s.values) return s;
      const values = derive(s.values, { ...s.values, ...a.patch });
      const edited = Object.keys(a.patch) as Array<keyof V>;
      const errors = recheckErrors(s.errors, validate(values), (key) => edited.some((f) => affects(f, key)));
      return { values, errors };
    },
    undefined,
    (): State<V> => ({ values: initial(), errors: {} }),
  );
  return {
    values: state.values,
    errors: state.errors,
    set: (patch: Partial<V>) => dispatch({ patch }),
    setErrors: (errors: FieldErrors) => dispatch({ errors }),
    start: (values: V) => dispatch({ start: values }),
  };
}
