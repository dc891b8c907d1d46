"""easydict.EasyDict as iRPE's irpe.py uses it: a dict whose keys are also attributes."""


class EasyDict(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as e:
            raise AttributeError(name) from e

    def __setattr__(self, name, value):
        self[name] = value
