/**
 * Keeps docs/transforms.md honest: every ```ts block is type-checked against the sources and run.
 * A block imports from 'wengert' and 'node:assert/strict' only and asserts what it shows.
 */
import * as wengert from 'wengert'
import { describeMarkdownDoc } from '../helpers/markdownDocs'

describeMarkdownDoc('docs/transforms.md', { wengert }, 11)
