import { memo, type ComponentProps } from 'react'
import Markdown, { defaultUrlTransform } from 'react-markdown'
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize'
import remarkGfm from 'remark-gfm'

/** What a chat message may contain; anything else keeps its text and loses its markup. */
export const MESSAGE_ELEMENTS = ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'a', 'ul', 'ol', 'li', 'blockquote']

// The maintained sanitizer's default (GitHub's) rules, narrowed to the elements above: a second
// wall behind react-markdown, which already never renders raw HTML (`skipHtml`).
const sanitizeSchema = { ...defaultSchema, tagNames: MESSAGE_ELEMENTS }

/** Links open in a new tab without handing the opener over; a link whose URL was unsafe is plain text. */
function MessageLink({ href, children }: ComponentProps<'a'>) {
  if (!href) return <span>{children}</span>
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  )
}

/** A code block scrolls sideways rather than wrapping: it takes the focus, so the keyboard can scroll it too. */
function CodeBlock({ children }: ComponentProps<'pre'>) {
  return (
    <pre tabIndex={0} aria-label="Code">
      {children}
    </pre>
  )
}

/**
 * A message's text as Markdown (bold, italic, code, code blocks, links, lists, quotes), rendered to
 * React elements: raw HTML is dropped, URLs other than http(s)/mailto and the like are removed,
 * and the result is sanitised. Sent and pending messages both render through here.
 */
export const MessageText = memo(function MessageText({ text }: { text: string }) {
  return (
    <div className="text">
      <Markdown
        skipHtml
        allowedElements={MESSAGE_ELEMENTS}
        unwrapDisallowed
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[[rehypeSanitize, sanitizeSchema]]}
        urlTransform={defaultUrlTransform}
        components={{ a: MessageLink, pre: CodeBlock }}
      >
        {text}
      </Markdown>
    </div>
  )
})
