from flask_cors import CORS
from flask_talisman import Talisman

talisman = Talisman(content_security_policy={"default-src": "'self'"})
cors = CORS()
