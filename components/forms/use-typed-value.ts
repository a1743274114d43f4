"use client";
import { useCallback, useState } from "react";

/**
 * State for a controlled input that keeps what was typed before React hydrated. React leaves a
 * controlled input's DOM value alone at hydration and then overwrites it with the state on the next
 * render; replaying those changes (`enableHydrationChangeEvent`) is only in React's experimental
 * build. On a slow phone the text would vanish when the form answers, so the ref adopts it.
 * Prefer uncontrolled inputs (TextField, TextAreaField); use this where the value drives the page.
 */
export function useTypedValue(initial: string) {
  const [value, setValue] = useState(initial);
  const ref = useCallback((el: HTMLInputElement | HTMLTextAreaElement | null) => {
    if (el && el.value !== initial) setValue(el.value);
    // `initial` is the server-rendered value: only the hydrating mount can differ from it.
  }, []);
  const onChange = useCallback((e: { target: { value: string } }) => setValue(e.target.value), []);
  return { value, onChange, ref } as const;
}
