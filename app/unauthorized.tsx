import { ProblemPage } from "@/components/problem-page";

/**
 * 401 (unauthorized()): in the reader's language with the way to sign in. The app sends a signed-out
 * reader to /login itself (lib/auth/session.ts); this replaces Next's English default.
 */
export default function Unauthorized() {
  return <ProblemPage problem="unauthorized" />;
}
