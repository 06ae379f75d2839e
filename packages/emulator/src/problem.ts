/** An RFC 7807 problem body as Replicate sends it. */
export interface Problem {
  detail: string;
  status: number;
  title?: string;
  [extra: string]: unknown;
}

/** A `application/problem+json` response. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "Content-Type": "application/problem+json", ...headers },
  });
}

/** 404 with Replicate's generic body. */
export function notFound(detail = "Not found."): Response {
  return problemResponse({ title: "Not found", detail, status: 404 });
}
