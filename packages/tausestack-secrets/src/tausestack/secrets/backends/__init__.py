"""Secrets backends, one per module: ``env``, ``dotenv``, ``memory``, ``chain``, ``aws`` (aws-secrets://).

This package imports none of them, so boto3 loads only when AWS Secrets Manager is used.
"""
