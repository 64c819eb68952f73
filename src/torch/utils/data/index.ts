/**
 * `torch.utils.data`: datasets, samplers, `default_collate` and `DataLoader`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const { DataLoader, TensorDataset } = torch.utils.data
 * const loader = DataLoader(TensorDataset(torch.ones(4, 3), torch.zeros(4)), { batch_size: 3 })
 * assert.deepStrictEqual([...loader].map(([x]) => x.shape[0]), [3, 1])
 * @category torch
 * @since 0.2.0
 */
export {
  Dataset,
  IterableDataset,
  TensorDataset,
  Subset,
  ConcatDataset,
  ChainDataset,
  random_split,
  type MapDataset,
} from './dataset'
export {
  Sampler,
  SequentialSampler,
  RandomSampler,
  SubsetRandomSampler,
  WeightedRandomSampler,
  BatchSampler,
  type Sized,
  type RandomSamplerKw,
} from './sampler'
export { DistributedSampler, type DistributedSamplerKw } from './distributed'
export { default_collate, default_convert, type Collated } from './collate'
export { DataLoader, get_worker_info, type DataLoaderKw, type LoaderDataset } from './dataloader'
