import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { XSS_PAYLOADS } from '../../../../e2e/support/xss-payloads.ts'
import { MESSAGE_ELEMENTS, MessageText } from './message-text.tsx'

const render = (text: string) => renderToStaticMarkup(createElement(MessageText, { text }))

describe('MessageText', () => {
  it('renders bold, italic, inline code, code blocks and links; links open safely in a new tab', () => {
    expect(render('**bold** _italic_ `code`')).toBe('<div class="text"><p><strong>bold</strong> <em>italic</em> <code>code</code></p></div>')
    expect(render('```\nconst a = 1\n```')).toContain('<pre tabindex="0" aria-label="Code"><code>const a = 1\n</code></pre>')
    expect(render('[docs](https://example.com/a?b=1)')).toContain('<a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer">docs</a>')
    expect(render('see https://example.com')).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a>')
  })

  it('keeps the text of markup it does not allow (headings, images, raw HTML is dropped)', () => {
    expect(render('# not a heading')).toBe('<div class="text">not a heading</div>')
    expect(render('![alt text](https://example.com/x.png)')).not.toContain('<img')
    expect(render('a <b>raw</b> tag')).toBe('<div class="text"><p>a raw tag</p></div>')
  })

  it(`renders each of the ${XSS_PAYLOADS.length} XSS payloads inert: only allowed elements, no attribute but a safe href`, () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50)
    const allowed = new Set([...MESSAGE_ELEMENTS, 'div', 'span'])
    for (const payload of XSS_PAYLOADS) {
      const html = render(payload)
      // Text is escaped (< becomes &lt;), so every "<" left in the markup opens a real element.
      for (const [tag, name, attributes] of html.matchAll(/<\/?([a-z0-9]+)([^>]*)>/gi)) {
        expect(allowed.has(name!.toLowerCase()), `${payload} → ${tag}`).toBe(true)
        for (const [, attribute, value] of attributes!.matchAll(/\s([^\s=]+)="([^"]*)"/g)) {
          // A code block is focusable (it may scroll sideways), with our own label: nothing from the payload.
          if (name === 'pre' && ((attribute === 'tabindex' && value === '0') || (attribute === 'aria-label' && value === 'Code'))) continue
          expect(['class', 'href', 'target', 'rel'], `${payload} → ${tag}`).toContain(attribute)
          if (attribute === 'href') expect(value, `${payload} → ${tag}`).toMatch(/^(https?:\/\/|mailto:)/)
        }
      }
    }
  })
})
