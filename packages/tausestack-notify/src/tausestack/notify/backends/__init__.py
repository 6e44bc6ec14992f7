"""E-mail backends: console (default), file, memory, SMTP and Amazon SES; one file each."""
