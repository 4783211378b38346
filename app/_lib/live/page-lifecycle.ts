'use client'

type Handlers = {
  /** The page is being frozen, or put in the back/forward cache, or closed. */
  onPause(): void
  /** The page is running again after being frozen or restored from the back/forward cache. */
  onResume(): void
}

/** Listens to the page's lifecycle (freeze/resume, pagehide/pageshow); returns the function that stops. */
export function watchPageLifecycle({ onPause, onResume }: Handlers): () => void {
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) onResume()
  }
  document.addEventListener('freeze', onPause)
  document.addEventListener('resume', onResume)
  window.addEventListener('pagehide', onPause)
  window.addEventListener('pageshow', onPageShow)
  return () => {
    document.removeEventListener('freeze', onPause)
    document.removeEventListener('resume', onResume)
    window.removeEventListener('pagehide', onPause)
    window.removeEventListener('pageshow', onPageShow)
  }
}
