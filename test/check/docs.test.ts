/**
 * Keeps docs/verification.md honest: every ```ts block is type-checked against the sources and
 * run, with 'wengert', 'wengert/laws', 'fast-check' and 'node:assert/strict' available.
 */
import * as fc from 'fast-check'
import * as wengert from 'wengert'
import * as laws from 'wengert/laws'
import { describeMarkdownDoc } from '../helpers/markdownDocs'

describeMarkdownDoc('docs/verification.md', { wengert, 'wengert/laws': laws, 'fast-check': fc }, 8)
