"""Storage backends, one per module: ``local`` (file://), ``s3`` (s3://), ``memory`` (memory://).

Import them from their modules (``tausestack.storage.backends.local``) or from
``tausestack.storage``; this package imports none of them, so boto3 loads only when S3 is used.
"""
