import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huying.settings")
application = get_wsgi_application()

# Each web process loads the smart-dispatch model as it starts, so the first
# case after a restart is not the one that waits for it.
from huying.routing import store  # noqa: E402  (after Django is set up)

store.warm()
