// The renderer's entry, kept small on purpose. The moment the page runs it asks the engine for the
// list's first page; the app (React, the protocol's schemas, every view) is fetched and compiled
// meanwhile (index.html preloads it) and evaluated once the answer is here, so the thread window is
// born with its rows and the first frame the app paints is the list, not a skeleton. A host slower
// than MAX_WAIT_MS gets the app without waiting: it shows its skeleton and takes the answer when it
// comes (bridge/raw.ts).
//
// Why wait at all: evaluating the app takes the page's only thread for 30–40 ms, and an answer
// arriving then is handled only after it, and after the skeleton's first frame. Measured on the
// 100k bench home (interleaved loads): first rows painted 157 ms waiting, 166 ms not waiting, 187
// ms before this entry existed.
//
// In browser mode the request is a `POST /rpc`, which leaves at once; the WebSocket could send only
// after its open event, which arrives 20–40 ms later on a loading page.
//
// Nothing imported here may pull in React or zod: a unit test walks this module's imports.
import { prefetch } from './bridge/raw.ts';
import { listParams, parseHash } from './app/route.ts';
import { LIST_CHANGING_NOTIFICATIONS, firstPageRequest } from './features/threads/first-page.ts';

/** The engine answers a first page in 10–20 ms while the page loads; past this, something is slow and the skeleton should show. */
const MAX_WAIT_MS = 120;

// The list is mounted on every route (hidden behind message-search results), so its first page is always wanted.
const answered = prefetch('thread/list', firstPageRequest(listParams(parseHash(location.hash).filters)), LIST_CHANGING_NOTIFICATIONS);

void Promise.race([answered, new Promise((resolve) => setTimeout(resolve, MAX_WAIT_MS))]).then(() => import('./start-app.tsx'));
