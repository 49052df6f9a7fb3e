"""Dataset export: rows and the JSONL/CSV writers, Parquet, Hugging Face datasets, WARC,
safe output paths with compression, and the codebook that documents every field.
"""
