/**
 * The README's, the porting, install and JAX guides' examples type-check and run (the other pages have their
 * own docs tests beside the code they describe).
 */
import * as wengert from 'wengert'
import * as torch from 'wengert/torch'
import { describeMarkdownDoc } from './helpers/markdownDocs'

describeMarkdownDoc('README.md', { wengert, 'wengert/torch': torch }, 1)
describeMarkdownDoc('docs/porting.md', { wengert, 'wengert/torch': torch }, 1)
describeMarkdownDoc('docs/install.md', { wengert, 'wengert/torch': torch }, 1)
describeMarkdownDoc('docs/jax.md', { wengert, 'wengert/torch': torch }, 1)
