import { useNavigate } from "@remix-run/react";
import { useCallback, type MouseEvent } from "react";

/**
 * Client-side navigation for the plain `<a href>` links inside one container (a result list):
 * a single click handler on the container instead of a Remix `<Link>` per link. A `<Link>` runs
 * about twenty hooks on every server render (href resolution twice, the click handler, prefetch
 * state); on the search page that was nine of them per request for links that only ever
 * navigate to `/thu-tuc/:code`.
 *
 * Same behaviour as `<Link>` for those links: a plain left click (or Enter) navigates in the app;
 * a modified click (new tab/window, download), a `target`, or a handler that already prevented
 * the default is left to the browser; without JavaScript the links are ordinary links. The links
 * carry `data-discover="true"` so that Remix still discovers their routes ahead of the click.
 */
export function useLinkDelegation() {
  const navigate = useNavigate();
  return useCallback(
    (event: MouseEvent<HTMLElement>) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
      const link = (event.target as Element).closest?.("a[href]");
      if (!link || !event.currentTarget.contains(link)) return;
      const target = link.getAttribute("target");
      if ((target && target !== "_self") || link.hasAttribute("download")) return;
      const url = new URL(link.getAttribute("href")!, window.location.href);
      if (url.origin !== window.location.origin) return;
      event.preventDefault();
      navigate(url.pathname + url.search + url.hash);
    },
    [navigate],
  );
}
